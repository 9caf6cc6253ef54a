"""hotline.protocol"""
