"""hotline.catalogue"""
